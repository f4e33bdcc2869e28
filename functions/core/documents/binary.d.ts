/** Font files are bundled as bytes (esbuild's binary loader; the vite plugin in vitest.config.ts). */
declare module '*.woff' {
  const bytes: Uint8Array;
  export default bytes;
}
