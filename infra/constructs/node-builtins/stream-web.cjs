// node:stream/web, loaded on first use: middy imports its ReadableStream for streamed responses,
// which no function here sends, and loading Node's web streams costs a cold start about 10 ms.
// The names are node:stream/web's exports on Node 24 (test/unit/local/node-builtins.test.ts).
const EXPORTS = [
  'ReadableStream',
  'ReadableStreamTee',
  'ReadableStreamDefaultReader',
  'ReadableStreamBYOBReader',
  'ReadableStreamBYOBRequest',
  'ReadableByteStreamController',
  'ReadableStreamDefaultController',
  'TransformStream',
  'TransformStreamDefaultController',
  'WritableStream',
  'WritableStreamDefaultWriter',
  'WritableStreamDefaultController',
  'ByteLengthQueuingStrategy',
  'CountQueuingStrategy',
  'TextEncoderStream',
  'TextDecoderStream',
  'CompressionStream',
  'DecompressionStream',
];
let loaded;
for (const name of EXPORTS) {
  Object.defineProperty(module.exports, name, {
    enumerable: true,
    get: () => {
      loaded ??= process.getBuiltinModule('node:stream/web');
      return loaded[name];
    },
  });
}
