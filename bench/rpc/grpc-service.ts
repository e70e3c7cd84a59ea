import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/**
 * grpcOptions give grpc-js its best case for this benchmark: no channelz bookkeeping and no
 * retry buffering (both on by default), as a tuned deployment would run.
 */
export const grpcOptions = { "grpc.enable_channelz": 0, "grpc.enable_retries": 0 };

/** loadAdder loads the Adder service of add.proto with @grpc/proto-loader. */
export function loadAdder(): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(fileURLToPath(new URL("./add.proto", import.meta.url)), { keepCase: true, defaults: true });
  const bench = grpc.loadPackageDefinition(definition).bench as grpc.GrpcObject;
  return bench.Adder as grpc.ServiceClientConstructor;
}
