// Writes a sample monthly report as a Word file so a human can open it:
//   npx tsx scripts/sample-docx.ts /tmp/sample-report.docx
// The same sample is used by test/unit/render-docx.test.ts.

import { writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import type { ReportDocument } from "../src/core/report/document.js";
import { renderDocx } from "../src/core/report/render-docx.js";

export function sampleReport(opts: { landscapeAppendix?: boolean } = {}): ReportDocument {
  return {
    header: {
      parentBody: "Ủy ban MTTQ Việt Nam xã Tân Khai",
      issuingBody: "Ban công tác Mặt trận ấp Bến Đò",
      numberLine: "Số:       /BC-BCTMT",
      placeAndDate: "Bến Đò, ngày 24 tháng 11 năm 2026",
    },
    title: "BÁO CÁO",
    subject: "Kết quả công tác Mặt trận tháng 11/2026",
    intro: [
      [
        "Thực hiện Kế hoạch số 12/KH-MTTQ ngày 05/01/2026 của Ban Thường trực Ủy ban MTTQ Việt Nam xã Tân Khai về thực hiện chương trình công tác năm 2026, Ban công tác Mặt trận ấp Bến Đò báo cáo kết quả công tác tháng 11/2026 như sau:",
      ],
    ],
    body: [
      { kind: "heading", level: 1, text: "I. KẾT QUẢ THỰC HIỆN" },
      { kind: "heading", level: 2, text: "1. Công tác tuyên truyền, vận động" },
      {
        kind: "paragraph",
        runs: [
          "Trong tháng, Ban công tác Mặt trận phối hợp với các chi hội đoàn thể tổ chức ",
          { text: "12", bold: true },
          " buổi tuyên truyền, thu hút ",
          { text: "3.850", bold: true },
          " lượt người tham dự; nội dung tập trung vào Luật Thực hiện dân chủ ở cơ sở, phòng, chống lừa đảo qua mạng và giữ gìn vệ sinh môi trường khu dân cư.",
        ],
      },
      {
        kind: "bullets",
        items: [
          "Tuyên truyền qua hệ thống loa truyền thanh của ấp: 20 lượt;",
          "Tuyên truyền qua nhóm Zalo của ấp: 35 tin, bài;",
          "Lồng ghép trong các cuộc họp tổ nhân dân tự quản: 8 cuộc.",
        ],
      },
      { kind: "heading", level: 2, text: "2. Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”" },
      { kind: "heading", level: 3, text: "a) Xây dựng khu dân cư văn hóa" },
      {
        kind: "paragraph",
        runs: [
          "Toàn ấp có 412/450 hộ đăng ký gia đình văn hóa, đạt 91,6%. Vận động nhân dân đóng góp 25.500.000 đồng và 120 ngày công sửa chữa 1,2 km đường giao thông nông thôn.",
        ],
      },
      { kind: "heading", level: 3, text: "b) Hòa giải ở cơ sở" },
      {
        kind: "paragraph",
        runs: [
          "Tổ hòa giải tiếp nhận 3 vụ việc, hòa giải thành 2 vụ, đạt ",
          { text: "66,7%", bold: true },
          "; 1 vụ tranh chấp ranh giới đất đang tiếp tục vận động. ",
          { text: "(Số liệu tính đến ngày 20/11/2026)", italic: true },
        ],
      },
      {
        kind: "table",
        table: {
          columns: ["STT", "Nội dung", "Số lượng", "Tỷ lệ"],
          rows: [
            ["1", "Vụ việc tiếp nhận", "3", "100%"],
            ["2", "Hòa giải thành", "2", "66,7%"],
            ["3", "Đang giải quyết", "1", "33,3%"],
          ],
          widths: [1, 5, 2, 2],
          numericColumns: [2, 3],
        },
      },
      { kind: "heading", level: 2, text: "3. Công tác an sinh xã hội" },
      {
        kind: "paragraph",
        runs: [
          "Phối hợp trao 15 phần quà cho hộ nghèo, hộ cận nghèo, trị giá 7.500.000 đồng. Trong kỳ không phát sinh trường hợp đột xuất cần hỗ trợ.",
        ],
      },
      { kind: "heading", level: 1, text: "II. ĐÁNH GIÁ CHUNG" },
      {
        kind: "paragraph",
        runs: [
          "Các nội dung công tác tháng được triển khai đúng kế hoạch; nhân dân đồng tình hưởng ứng. Tuy nhiên, việc vận động hộ gia đình phân loại rác tại nguồn còn chậm.",
        ],
      },
      { kind: "heading", level: 1, text: "III. PHƯƠNG HƯỚNG THÁNG 12/2026" },
      {
        kind: "bullets",
        items: [
          "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc bổ sung tại khu dân cư;",
          "Vận động Quỹ “Vì người nghèo” năm 2027;",
          "Tiếp tục hòa giải vụ tranh chấp ranh giới đất còn lại.",
        ],
      },
    ],
    closing: "Trên đây là báo cáo kết quả công tác Mặt trận tháng 11/2026 của Ban công tác Mặt trận ấp Bến Đò./.",
    recipients: ["Ban Thường trực UBMTTQ xã;", "Chi bộ ấp;", "Lưu: VT."],
    signature: {
      authority: ["TM. Ban công tác Mặt trận", "Trưởng ban"],
      signer: "Nguyễn Văn Hùng",
    },
    appendix: {
      title: "PHỤ LỤC SỐ LIỆU",
      subtitle: "(Kèm theo Báo cáo kết quả công tác Mặt trận tháng 11/2026 của Ban công tác Mặt trận ấp Bến Đò)",
      landscape: opts.landscapeAppendix ?? true,
      table: {
        columns: ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm", "Thực hiện tháng 11", "Lũy kế", "Tỷ lệ (%)"],
        rows: [
          ["1", "Số buổi tuyên truyền", "Buổi", "120", "12", "118", "98,3"],
          ["2", "Lượt người dự tuyên truyền", "Lượt", "40.000", "3.850", "37.900", "94,8"],
          ["3", "Hộ đăng ký gia đình văn hóa", "Hộ", "450", "412", "412", "91,6"],
          ["4", "Vụ việc hòa giải thành", "Vụ", "—", "2", "10", "66,7"],
          ["5", "Quỹ “Vì người nghèo”", "Đồng", "30.000.000", "2.500.000", "28.750.000", "95,8"],
        ],
        widths: [0.6, 4, 1.4, 1.8, 1.8, 1.8, 1.2],
        numericColumns: [3, 4, 5, 6],
      },
    },
  };
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? "/tmp/sample-report.docx";
  const portrait = process.argv.includes("--portrait-appendix");
  await writeFile(out, await renderDocx(sampleReport({ landscapeAppendix: !portrait })));
  console.log(`wrote ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
