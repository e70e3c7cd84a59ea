import { SocketMessageReader, SocketMessageWriter, createMessageConnection } from "vscode-jsonrpc/node";
import type { OpenOptions, RpcClient } from "./closed-loop.js";
import { ADD_ARGS } from "./frame-sizes.js";
import { serveAndAttach } from "./server-process.js";
import { connectUnix } from "./unix-socket.js";

/**
 * openJsonRpc starts the vscode-jsonrpc scenario: a server in its own process on a Unix
 * socket answering the request "add", and a message connection to it here.
 */
export function openJsonRpc(options: OpenOptions): Promise<RpcClient> {
  return serveAndAttach("./jsonrpc-server.ts", [], options, async (path) => {
    const socket = await connectUnix(path);
    const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
    connection.listen();
    return {
      issue(done) {
        connection.sendRequest<number>("add", ADD_ARGS).then(() => done(), done);
      },
      async close() {
        connection.dispose();
        socket.destroy();
      },
    };
  });
}
