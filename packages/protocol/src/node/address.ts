import { type Socket, createConnection } from "node:net";

const PIPE_PREFIX = "\\\\.\\pipe\\";

/**
 * addressPath returns the socket path of a polyproc address (PROTOCOL.md §2.4):
 * `unix:/absolute/path` or `pipe:\\.\pipe\name`. It throws an Error naming the problem for
 * any other address; `tcp://` is reserved and not supported by this version (§2.3).
 */
export function addressPath(address: string): string {
  if (address.startsWith("unix:")) {
    const path = address.slice("unix:".length);
    if (!path.startsWith("/")) throw new Error(`the address ${JSON.stringify(address)} must give an absolute path after "unix:"`);
    return path;
  }
  if (address.startsWith("pipe:")) {
    const path = address.slice("pipe:".length);
    if (!path.startsWith(PIPE_PREFIX) || path.length === PIPE_PREFIX.length) {
      throw new Error(`the address ${JSON.stringify(address)} must give a pipe path ${PIPE_PREFIX}<name> after "pipe:"`);
    }
    return path;
  }
  if (address.startsWith("tcp://")) {
    throw new Error(`the address ${JSON.stringify(address)} uses tcp://, which is reserved and not supported by this version (PROTOCOL.md §2.3)`);
  }
  throw new Error(`the address ${JSON.stringify(address)} is not a polyproc address: expected unix:<absolute path> or pipe:\\\\.\\pipe\\<name>`);
}

/**
 * connect opens the connection to a host at a polyproc address (§2): a Unix domain socket or
 * a Windows named pipe. It resolves with the connected socket, or rejects with an Error naming
 * the address and the cause (ENOENT: nothing listens there; ECONNREFUSED: the host is gone).
 */
export async function connect(address: string): Promise<Socket> {
  const path = addressPath(address);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const onError = (error: Error): void => {
      reject(new Error(`cannot connect to ${address}: ${error.message}`, { cause: error }));
    };
    socket.once("error", onError);
    socket.once("connect", () => {
      socket.off("error", onError);
      resolve(socket);
    });
  });
}
