// The server side of the gRPC scenario, run in its own process by grpc.ts:
//   grpc-server.ts SOCKET_PATH
import * as grpc from "@grpc/grpc-js";
import { grpcOptions, loadAdder } from "./grpc-service.js";

const path = process.argv[2];
if (path === undefined) {
  console.error("usage: grpc-server.ts SOCKET_PATH");
  process.exit(2);
}

interface AddRequest {
  a: number;
  b: number;
}

const server = new grpc.Server(grpcOptions);
server.addService(loadAdder().service, {
  Add: (call: grpc.ServerUnaryCall<AddRequest, { sum: number }>, callback: grpc.sendUnaryData<{ sum: number }>) => {
    callback(null, { sum: call.request.a + call.request.b });
  },
});
server.bindAsync(`unix://${path}`, grpc.ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
  console.log("ready");
});
process.on("SIGTERM", () => server.tryShutdown(() => process.exit(0)));
