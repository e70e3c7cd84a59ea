import { ConnectionRouter, type HostWireTap } from "./connection-router.js";
import type { CallService } from "./inbound-calls.js";
import type { PubsubAttach } from "./pubsub-broker.js";
import { ProcessInstance } from "./instance.js";
import type { Logger } from "./logger.js";
import type { InstanceFactory } from "./plugin-options.js";
import { listen } from "./transport/index.js";

/** ProcessInstances is the default InstanceFactory with the listener its instances share. */
export interface ProcessInstances {
  /** factory spawns one plugin process per instance. */
  factory: InstanceFactory;
  /** close stops listening and closes connections still in their handshake; call it after every instance ended. */
  close(): Promise<void>;
}

/**
 * startProcessInstances opens the host's listener (a Unix socket in a private directory, or
 * a named pipe on Windows, PROTOCOL.md §2) with the router that hands each connection to the
 * instance whose token it presents, and returns the factory of plugin processes. `calls`
 * serves the calls the plugins make (host functions, routed calls); without it they are
 * answered NOT_FOUND.
 */
export async function startProcessInstances(logger: Logger, wireTap?: HostWireTap, calls?: CallService, pubsub?: PubsubAttach): Promise<ProcessInstances> {
  const router = new ConnectionRouter({ logger, wireTap });
  const listener = await listen(router.accept, { onError: (error) => logger.error("the host's listener failed", { error }) });
  const factory: InstanceFactory = (plugin, init) =>
    new ProcessInstance(
      {
        plugin: plugin.name,
        command: plugin.command,
        cwd: plugin.cwd,
        env: plugin.env,
        maxConcurrency: plugin.maxConcurrency,
        startupTimeoutMs: plugin.startupTimeoutMs,
        heartbeatIntervalMs: plugin.heartbeat.intervalMs,
        heartbeatMissLimit: plugin.heartbeat.missLimit,
        killTimeoutMs: plugin.killTimeoutMs,
        settings: plugin.settings,
        maxCallsInFlight: plugin.maxCallsInFlight,
        maxOpenStreams: plugin.maxOpenStreams,
      },
      { id: init.id, router, address: listener.address, logger, calls, pubsub },
    );
  return {
    factory,
    close: async () => {
      router.closeAll();
      await listener.close();
    },
  };
}
