import * as grpc from "@grpc/grpc-js";
import type { OpenOptions, RpcClient } from "./closed-loop.js";
import { ADD_ARGS } from "./frame-sizes.js";
import { grpcOptions, loadAdder } from "./grpc-service.js";
import { serveAndAttach } from "./server-process.js";

type AddMethod = (request: typeof ADD_ARGS, callback: (error: grpc.ServiceError | null) => void) => void;

/**
 * openGrpc starts the gRPC scenario: a @grpc/grpc-js server in its own process on a Unix
 * socket, and a client of its unary Add (add.proto, loaded by @grpc/proto-loader) here,
 * both with grpcOptions.
 */
export function openGrpc(options: OpenOptions): Promise<RpcClient> {
  return serveAndAttach("./grpc-server.ts", [], options, async (path) => {
    const Adder = loadAdder();
    const client = new Adder(`unix://${path}`, grpc.credentials.createInsecure(), grpcOptions);
    const add = (client.Add as AddMethod).bind(client);
    await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 10_000, (error) => (error ? reject(error) : resolve())));
    return {
      issue(done) {
        add(ADD_ARGS, (error) => done(error ?? undefined));
      },
      close: async () => client.close(),
    };
  });
}
