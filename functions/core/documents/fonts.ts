import bold from 'roboto-fontface/fonts/roboto/Roboto-Bold.woff';
import regular from 'roboto-fontface/fonts/roboto/Roboto-Regular.woff';
import { woffToSfnt } from './woff.ts';

/**
 * The documents' typeface, embedded in the bundle (esbuild's binary loader, BUNDLING.loader):
 * Roboto covers Latin with its extensions, Greek and Cyrillic — the names and addresses of a
 * Swiss provider's customers (Dvořák, Łódź, Ørsted) — where the PDF standard fonts stop at
 * Latin-1. pdfkit embeds only the glyphs a document uses. Unwrapped from WOFF once, at load.
 */
export const FONTS = { regular: woffToSfnt(regular), bold: woffToSfnt(bold) } as const;
