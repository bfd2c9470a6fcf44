// SVG → PNG in-process with resvg (Rust, prebuilt per platform inside its npm package). The chart's texts reach
// resvg as outlines drawn from the chart's own fonts (fonts.ts), so it loads no font at all and the picture is
// the same on every machine. resvg draws and zlib compresses on libuv's thread pool, so the pages of a long chart
// are drawn side by side on a machine's cores. The native module is loaded on the first chart, not at start-up
// (it takes the best part of a second on a busy machine).
import { encodePngAsync } from "./png.js";

let library: Promise<typeof import("@resvg/resvg-js")> | undefined;
/** The module once loaded: a drawing then starts on the thread pool in the call itself, not a turn later. */
let loaded: typeof import("@resvg/resvg-js") | undefined;

/** Renders a chart's SVG whose texts are outlines already (outlineTexts) at its own size to PNG bytes. */
export async function renderOutlinedPng(svg: string): Promise<Buffer> {
  const { renderAsync } = loaded ?? (loaded = await (library ??= import("@resvg/resvg-js")));
  const image = await renderAsync(svg, { font: { loadSystemFonts: false }, shapeRendering: 2 });
  return encodePngAsync(image.pixels, image.width, image.height);
}
