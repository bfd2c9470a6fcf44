import { Document, Packer, Paragraph, Table, TableRow, TableCell, TextRun, WidthType } from "docx";
const rows = 100, cols = 10, tables = 17;
const mk = () => new Document({ sections: [{ children: Array.from({ length: tables }, (_, t) => new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: Array.from({ length: rows }, (_, r) => new TableRow({ children: Array.from({ length: cols }, (_, c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: `${r * c + t}`, size: 22, font: "Times New Roman" })] })] })) })) })) }] });
for (let i = 0; i < 3; i++) {
  let t = performance.now(); const d = mk(); const t1 = performance.now();
  const b = await Packer.toBuffer(d); const t2 = performance.now();
  console.log(`build ${(t1 - t).toFixed(0)} ms pack ${(t2 - t1).toFixed(0)} ms ${b.length} bytes`);
}
