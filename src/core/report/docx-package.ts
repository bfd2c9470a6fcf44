// The parts of a .docx around its document.xml: content types, relationships, styles, settings, a theme, the
// page headers and the document properties, and the ZIP that holds them (zip.ts). Everything a draft uses and
// nothing else, as Word, LibreOffice and Google Docs expect it.
import { esc, paragraph } from "./wordml.js";
import { packEntry, zipPacked, type ZipEntry } from "../zip.js";

const W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** The namespaces document.xml and the headers use. */
export const DOCUMENT_NAMESPACES =
  `xmlns:w="${W_NS}" xmlns:r="${R_NS}" ` +
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ' +
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"';

/** Run properties of the whole document and the one paragraph style the data tables use. */
export interface DocumentStyles {
  font: string;
  /** Half-points. */
  bodySize: number;
  language: string;
  /** The body's paragraphs: justified, with this spacing. */
  body: { after: number; line: number };
  cellStyle: { id: string; name: string; size: number };
}

function stylesXml(s: DocumentStyles): string {
  const f = esc(s.font);
  return (
    `${DECL}<w:styles xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:docDefaults><w:rPrDefault><w:rPr>` +
    `<w:rFonts w:ascii="${f}" w:cs="${f}" w:eastAsia="${f}" w:hAnsi="${f}"/><w:sz w:val="${s.bodySize}"/><w:szCs w:val="${s.bodySize}"/><w:lang w:val="${s.language}"/>` +
    `</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="${s.body.after}" w:before="0" w:line="${s.body.line}" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    '<w:style w:type="paragraph" w:styleId="Normal" w:default="1"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
    '<w:style w:type="character" w:styleId="DefaultParagraphFont" w:default="1"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>' +
    '<w:style w:type="table" w:styleId="TableNormal" w:default="1"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>' +
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>' +
    `<w:style w:type="paragraph" w:styleId="${s.cellStyle.id}"><w:name w:val="${esc(s.cellStyle.name)}"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
    '<w:pPr><w:spacing w:after="0" w:before="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="left"/></w:pPr>' +
    `<w:rPr><w:sz w:val="${s.cellStyle.size}"/><w:szCs w:val="${s.cellStyle.size}"/></w:rPr></w:style></w:styles>`
  );
}

const SETTINGS =
  `${DECL}<w:settings xmlns:w="${W_NS}"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>` +
  '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>';

/** A theme whose fonts are the document's, for whatever falls back to the theme's fonts. */
function themeXml(font: string): string {
  const f = esc(font);
  const solid = (c: string) => `<a:solidFill><a:schemeClr val="${c}"/></a:solidFill>`;
  const fonts = `<a:latin typeface="${f}"/><a:ea typeface=""/><a:cs typeface=""/>`;
  const colours: Array<[string, string]> = [
    ["accent1", "4472C4"],
    ["accent2", "ED7D31"],
    ["accent3", "A5A5A5"],
    ["accent4", "FFC000"],
    ["accent5", "5B9BD5"],
    ["accent6", "70AD47"],
    ["hlink", "0563C1"],
    ["folHlink", "954F72"],
  ];
  return (
    `${DECL}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>` +
    '<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>' +
    '<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>' +
    colours.map(([n, c]) => `<a:${n}><a:srgbClr val="${c}"/></a:${n}>`).join("") +
    `</a:clrScheme><a:fontScheme name="${f}"><a:majorFont>${fonts}</a:majorFont><a:minorFont>${fonts}</a:minorFont></a:fontScheme>` +
    `<a:fmtScheme name="Office"><a:fillStyleLst>${solid("phClr").repeat(3)}</a:fillStyleLst>` +
    `<a:lnStyleLst>${`<a:ln w="6350">${solid("phClr")}</a:ln>`.repeat(3)}</a:lnStyleLst>` +
    `<a:effectStyleLst>${"<a:effectStyle><a:effectLst/></a:effectStyle>".repeat(3)}</a:effectStyleLst>` +
    `<a:bgFillStyleLst>${solid("phClr").repeat(3)}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>`
  );
}

/** Title and subject; no author, and no dates (the same draft gives the same bytes). */
function coreXml(title: string, subject: string): string {
  return (
    `${DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${esc(title)}</dc:title><dc:subject>${esc(subject)}</dc:subject><dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy><dc:description></dc:description>` +
    "<cp:revision>1</cp:revision></cp:coreProperties>"
  );
}

const APP =
  `${DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>`;

/** A page header part holding these paragraphs (already written). */
function headerXml(paragraphs: string): string {
  return `${DECL}<w:hdr ${DOCUMENT_NAMESPACES}>${paragraphs || paragraph({}, "")}</w:hdr>`;
}

export interface DocxParts {
  /** The `<w:body>` content, sections included; pictures refer to `image{n}` and headers to `header{n}`. */
  body: string;
  /** Page headers' paragraphs, by relationship id. */
  headers: Array<{ rId: string; paragraphs: string }>;
  /** PNG bytes, or a picture still being drawn (see ImageBlock). */
  images: Array<{ rId: string; png: Uint8Array | Promise<Uint8Array> }>;
  styles: DocumentStyles;
  title: string;
  subject: string;
}

/** The .docx file. Every other part is compressed before the pictures are waited for, so that a picture still
 * being drawn on the thread pool is drawn meanwhile. */
export async function packDocx(p: DocxParts): Promise<Buffer> {
  const headerFile = (i: number) => `header${i + 1}.xml`;
  const imageFile = (i: number) => `media/image${i + 1}.png`;
  const rels =
    `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    `<Relationship Id="rIdStyles" Type="${REL}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rIdSettings" Type="${REL}/settings" Target="settings.xml"/>` +
    `<Relationship Id="rIdTheme" Type="${REL}/theme" Target="theme/theme1.xml"/>` +
    p.headers.map((h, i) => `<Relationship Id="${h.rId}" Type="${REL}/header" Target="${headerFile(i)}"/>`).join("") +
    p.images.map((im, i) => `<Relationship Id="${im.rId}" Type="${REL}/image" Target="${imageFile(i)}"/>`).join("") +
    "</Relationships>";
  const main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
  const types =
    `${DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Default Extension="png" ContentType="image/png"/>' +
    `<Override PartName="/word/document.xml" ContentType="${main}.document.main+xml"/>` +
    `<Override PartName="/word/styles.xml" ContentType="${main}.styles+xml"/>` +
    `<Override PartName="/word/settings.xml" ContentType="${main}.settings+xml"/>` +
    '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>' +
    p.headers.map((_, i) => `<Override PartName="/word/${headerFile(i)}" ContentType="${main}.header+xml"/>`).join("") +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>';
  const packageRels =
    `${DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`;
  const parts: ZipEntry[] = [
    { path: "[Content_Types].xml", data: types },
    { path: "_rels/.rels", data: packageRels },
    { path: "docProps/core.xml", data: coreXml(p.title, p.subject) },
    { path: "docProps/app.xml", data: APP },
    { path: "word/document.xml", data: `${DECL}<w:document ${DOCUMENT_NAMESPACES}><w:body>${p.body}</w:body></w:document>` },
    { path: "word/_rels/document.xml.rels", data: rels },
    { path: "word/styles.xml", data: stylesXml(p.styles) },
    { path: "word/settings.xml", data: SETTINGS },
    { path: "word/theme/theme1.xml", data: themeXml(p.styles.font) },
    ...p.headers.map((h, i) => ({ path: `word/${headerFile(i)}`, data: headerXml(h.paragraphs) })),
  ];
  const packed = parts.map(packEntry);
  const pngs = await Promise.all(p.images.map((im) => im.png));
  return zipPacked([...packed, ...pngs.map((png, i) => packEntry({ path: `word/${imageFile(i)}`, data: png, store: true }))]);
}
