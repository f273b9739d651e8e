/** TCP ports for servers a test starts itself. */
import { createServer, type Server } from 'node:net';

/** Listens on a port the system picks, on loopback; answers the port. */
export function listening(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

/** A port nothing listens on now (for a server started by another process). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listening(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}
