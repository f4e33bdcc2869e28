import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReference } from '../../../infra/local/reference.ts';
import { chromium, renderedDom } from '../../fixtures/chromium.ts';
import { local } from '../helpers.ts';

/** The API reference page of `npm start` (issue 14), opened as a client developer opens it. */
let reference: Awaited<ReturnType<typeof startReference>>;
beforeAll(async () => {
  chromium();
  reference = await startReference(local().apiUrl);
}, 300_000);
afterAll(() => reference.stop());

describe('the API reference page', () => {
  it('lists the routes with their summaries, from the bundled page (no CDN)', async () => {
    const html = await (await fetch(reference.url)).text();
    const dom = await renderedDom(reference.url);

    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    for (const summary of [
      'Place an order',
      'Invite an address with the rights to grant',
      'The signed-in user',
    ]) {
      expect(dom).toContain(summary);
    }
    expect(dom).toContain('/v1/organizations/{orgId}/pro-formas');
  }, 120_000);

  it('offers the document with the local API as its server', async () => {
    const document = (await (await fetch(`${reference.url}/openapi.json`)).json()) as {
      servers: { url: string }[];
    };

    expect(document.servers).toEqual([expect.objectContaining({ url: local().apiUrl })]);
  });
});
