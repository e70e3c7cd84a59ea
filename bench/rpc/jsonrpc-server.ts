// The server side of the vscode-jsonrpc scenario, run in its own process by jsonrpc.ts:
//   jsonrpc-server.ts SOCKET_PATH
import { createServer } from "node:net";
import { SocketMessageReader, SocketMessageWriter, createMessageConnection } from "vscode-jsonrpc/node";

const path = process.argv[2];
if (path === undefined) {
  console.error("usage: jsonrpc-server.ts SOCKET_PATH");
  process.exit(2);
}

const server = createServer((socket) => {
  const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
  connection.onRequest("add", (params: { a: number; b: number }) => params.a + params.b);
  connection.onClose(() => connection.dispose());
  connection.listen();
});
server.listen(path, () => console.log("ready"));
process.on("SIGTERM", () => process.exit(0));
