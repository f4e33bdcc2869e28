import S3rver from 's3rver';

/** The S3 emulator, with the template's buckets created at start. */
export async function startS3(
  port: number,
  directory: string,
  buckets: string[],
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() };
}
