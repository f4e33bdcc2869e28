import { type ChildProcess, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createServer, Socket } from 'node:net';

/**
 * Binds a server of this process: on `preferred` when it is free, else on a port the system
 * chooses. The port is taken by the bind itself, so nothing can take it in between (two local
 * stacks started at once both come up).
 */
export function listen(server: Server, preferred = 0): Promise<number> {
  const attempt = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.removeListener('error', onError);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  if (!preferred) return attempt(0);
  return attempt(preferred).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    return attempt(0);
  });
}

/** Whether nothing listens on the port right now (a hint only: see `startOnFreePort`). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A child process that must bind a port of its own cannot be handed a bound socket, so the
 * port is a guess: `start(port)` is tried on the preferred port, then on random ports below the
 * system's ephemeral range (where no other program is handed ports by the OS), and tried again
 * on another port when the child reports that its port was taken meanwhile.
 */
export async function startOnFreePort<T>(
  what: string,
  preferred: number | undefined,
  start: (port: number) => Promise<T>,
): Promise<T> {
  const candidates = [
    ...(preferred ? [preferred] : []),
    ...Array.from({ length: 8 }, () => 20_000 + Math.floor(Math.random() * 12_000)),
  ];
  let lastError: unknown;
  for (const port of candidates) {
    if (!(await isFree(port))) continue;
    try {
      return await start(port);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTaken)) throw error;
    }
  }
  throw new Error(`${what} found no free port: ${String(lastError)}`);
}

/** A child could not bind its port: another process took it first. */
export class PortTaken extends Error {
  override name = 'PortTaken';
}

/** Resolves once something accepts TCP connections on the port. */
export async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not start listening on port ${port} within ${timeoutMs} ms`);
}

export interface ManagedProcess {
  child: ChildProcess;
  stop(): Promise<void>;
  /** What the process printed last (stdout and stderr), to explain a failed start. */
  output(): string;
  /** Resolves when the process printed a line matching `pattern`; rejects if it exits first. */
  printed(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Rejects as soon as the process exits (to race against a readiness check). */
  exited: Promise<never>;
}

/**
 * Spawns a helper process that dies with us: it gets SIGTERM on stop (SIGKILL after a grace
 * period) and its output is kept to explain a failed start.
 */
export function spawnManaged(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If this process dies without stopping us (a crash, an uncaught error), take the child along.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const watchers = new Set<() => void>();
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
    for (const watcher of watchers) watcher();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let stopping = false;
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      if (code !== 0 && code !== null && !stopping) {
        process.stderr.write(`[local] ${name} exited with code ${code}:\n${output}\n`);
      }
      reject(new Error(`${name} exited (${code ?? signal})`));
    });
  });
  exited.catch(() => undefined);
  return {
    child,
    output: () => output,
    exited,
    printed: (pattern, timeoutMs = 30_000) =>
      Promise.race([
        exited,
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            watchers.delete(check);
            reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms`));
          }, timeoutMs);
          const check = () => {
            if (!pattern.test(output)) return;
            clearTimeout(timer);
            watchers.delete(check);
            resolve();
          };
          watchers.add(check);
          check();
        }),
      ]),
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
