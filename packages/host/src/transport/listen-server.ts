import { type Server, createServer } from "node:net";
import type { ConnectionHandler } from "./listener.js";

/**
 * listenServer starts a net.Server on a socket path or pipe name and resolves once it
 * listens; a failure to bind rejects. Errors after that go to `onError`.
 */
export function listenServer(path: string, onConnection: ConnectionHandler, onError: (error: Error) => void): Promise<Server> {
  const server = createServer(onConnection);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      server.on("error", onError);
      resolve(server);
    });
  });
}

/** closeServer stops a server accepting connections, without waiting for open ones to end. */
export function closeServer(server: Server): void {
  if (server.listening) server.close();
}
