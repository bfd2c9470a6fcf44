import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "../../src/store/db.js";
import { allUnits, decodeUtf8, importUnits, importUnitsFile, parseCsv, readUnitsCsv, unitCount, unitExists, type UnitRecord } from "../../src/store/units.js";
import { SAMPLE_UNITS } from "../../src/paths.js";

const HEADER = "code,name,level,parent_code";

function csv(...lines: string[]): string {
  return [HEADER, ...lines].join("\n");
}

function errorOf(text: string, existing?: UnitRecord[]): string {
  try {
    readUnitsCsv(text, existing);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("readUnitsCsv accepted a bad file");
}

describe("parseCsv", () => {
  it("reads plain rows and drops blank lines", () => {
    expect(parseCsv("a,b,c\n\n1,2,3\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    expect(parseCsv('1,"Ấp Bến Đò, xã Tân Khai","nói ""có""","hai\ndòng"\n')).toEqual([
      ["1", "Ấp Bến Đò, xã Tân Khai", 'nói "có"', "hai\ndòng"],
    ]);
  });

  it("strips a byte order mark and reads CRLF line ends", () => {
    expect(parseCsv("\uFEFFcode,name\r\n1,X\r\n")).toEqual([
      ["code", "name"],
      ["1", "X"],
    ]);
  });

  it("keeps a last row without a line end, and empty fields", () => {
    expect(parseCsv("a,,c\n1,2,")).toEqual([
      ["a", "", "c"],
      ["1", "2", ""],
    ]);
  });
});

describe("readUnitsCsv", () => {
  it("reads the sample file", () => {
    const units = readUnitsCsv(readFileSync(SAMPLE_UNITS, "utf8"));
    expect(units[0]).toEqual({ code: "75", name: "Tỉnh Đồng Nai", level: "province", parentCode: null });
    expect(units.find((u) => u.code === "25747-01")).toEqual({
      code: "25747-01",
      name: "Ấp Bến Đò",
      level: "area",
      parentCode: "25747",
    });
  });

  it("accepts a BOM (Excel's UTF-8 CSV), quoted names and trims fields", () => {
    const units = readUnitsCsv(`\uFEFF${csv("75,Tỉnh Đồng Nai,province,", ' 25747 ,"Xã Tân Khai, mới",commune, 75 ')}`);
    expect(units[1]).toEqual({ code: "25747", name: "Xã Tân Khai, mới", level: "commune", parentCode: "75" });
  });

  it("accepts Vietnamese level names, with or without diacritics and in any case", () => {
    const units = readUnitsCsv(
      csv(
        "75,Tỉnh Đồng Nai,Tỉnh,",
        "731,Huyện Tân Phú,huyen,75",
        "732,Thị xã Long Khánh,Thị xã,75",
        "25747,Xã Tân Khai,xa,731",
        "25748,Phường Xuân An,PHƯỜNG,732",
        "25749,Thị trấn Tân Phú,thi tran,731",
        "1,Ấp Bến Đò,ap,25747",
        "2,Khu phố 1,Khu phố,25748",
        "3,Tổ dân phố 2,to dan pho,25748",
        "4,Thôn Một,Thôn,25749",
        "5,Khu dân cư số 5,khu dan cu,25749",
      ),
    );
    expect(Object.fromEntries(units.map((u) => [u.code, u.level]))).toEqual({
      "75": "province",
      "731": "district",
      "732": "district",
      "25747": "commune",
      "25748": "commune",
      "25749": "commune",
      "1": "area",
      "2": "area",
      "3": "area",
      "4": "area",
      "5": "area",
    });
  });

  it("lets children come before their parents", () => {
    expect(readUnitsCsv(csv("1,Ấp Bến Đò,area,25747", "25747,Xã Tân Khai,commune,75", "75,Tỉnh Đồng Nai,province,"))).toHaveLength(3);
  });

  it("accepts a parent that already exists in the database", () => {
    expect(readUnitsCsv(csv("1,Ấp Mới,area,25747"), [{ code: "25747", name: "Xã Tân Khai", level: "commune", parentCode: "75" }])).toEqual([
      { code: "1", name: "Ấp Mới", level: "area", parentCode: "25747" },
    ]);
  });

  it("refuses a wrong header", () => {
    expect(errorOf("ma,ten,cap,cap_tren\n1,X,xa,")).toMatch(/^Dòng 1: tiêu đề phải là "code,name,level,parent_code"/);
  });

  it("names the line of a missing parent", () => {
    expect(errorOf(csv("75,Tỉnh Đồng Nai,province,", "25747,Xã Tân Khai,commune,99"))).toBe(
      'Dòng 3: không có đơn vị cấp trên "99"',
    );
  });

  it("names the line of a duplicate code", () => {
    expect(errorOf(csv("75,Tỉnh Đồng Nai,province,", "25747,Xã Tân Khai,commune,75", "25747,Xã Khác,commune,75"))).toBe(
      'Dòng 4: mã "25747" bị trùng',
    );
  });

  it("names the line of an area under an area", () => {
    expect(
      errorOf(csv("75,Tỉnh Đồng Nai,province,", "25747,Xã Tân Khai,commune,75", "1,Ấp Bến Đò,area,25747", "2,Tổ 1,area,1")),
    ).toBe("Dòng 5: 2 (area) không thể thuộc 1 (area)");
  });

  it("names the line of a bad level", () => {
    expect(errorOf(csv("75,Tỉnh Đồng Nai,province,", "25747,Xã Tân Khai,làng xã,75"))).toBe(
      'Dòng 3: cấp "làng xã" không hợp lệ (province, district, commune, area)',
    );
  });

  it("names the line of a commune or area without a parent, and of missing code or name", () => {
    const msg = errorOf(csv("75,Tỉnh Đồng Nai,province,", "25747,Xã Tân Khai,commune,", ",Ấp Không Mã,area,25747", "9,,area,25747"));
    expect(msg.split("\n").sort()).toEqual(
      [
        "Dòng 3: 25747 cần có đơn vị cấp trên (parent_code)",
        "Dòng 4: thiếu mã (code)",
        "Dòng 5: thiếu tên (name)",
      ].sort(),
    );
  });

  it("lists every error, one line each", () => {
    const msg = errorOf(csv("75,Tỉnh Đồng Nai,province,", "1,Ấp A,ap,404", "2,Ấp B,foo,75"));
    expect(msg.split("\n")).toEqual(
      expect.arrayContaining(['Dòng 3: không có đơn vị cấp trên "404"', 'Dòng 4: cấp "foo" không hợp lệ (province, district, commune, area)']),
    );
  });

  it("counts lines as the file has them, despite blank lines and quoted line breaks", () => {
    const text = [
      HEADER,
      "75,Tỉnh Đồng Nai,province,",
      "",
      '25747,"Xã Tân Khai',
      '(mới)",commune,75',
      "1,Ấp Bến Đò,area,99",
    ].join("\r\n");
    expect(errorOf(text)).toBe('Dòng 6: không có đơn vị cấp trên "99"');
  });
});

describe("importUnits", () => {
  let db: DB | undefined;
  afterEach(() => db?.close());

  const UNITS = csv(
    "25747-01,Ấp Bến Đò,ấp,25747",
    "25747,Xã Tân Khai,xã,75",
    "75,Tỉnh Đồng Nai,tỉnh,",
    "25747-02,Ấp Cây Dầu,ấp,25747",
  );

  it("inserts children listed before their parents (foreign keys hold)", () => {
    db = openDatabase(":memory:");
    expect(importUnits(db, readUnitsCsv(UNITS))).toBe(4);
    expect(unitCount(db)).toBe(4);
    expect(unitExists(db, "25747-01")).toBe(true);
    expect(db.prepare("SELECT parent_code FROM units WHERE code = ?").get("25747-01")).toEqual({ parent_code: "25747" });
  });

  it("is idempotent and updates names", () => {
    db = openDatabase(":memory:");
    importUnits(db, readUnitsCsv(UNITS));
    const before = db.prepare("SELECT * FROM units ORDER BY code").all();
    importUnits(db, readUnitsCsv(UNITS));
    expect(db.prepare("SELECT * FROM units ORDER BY code").all()).toEqual(before);
    expect(unitCount(db)).toBe(4);

    importUnits(db, readUnitsCsv(csv("25747-01,Ấp Bến Đò Mới,area,25747"), allUnits(db)));
    expect(unitCount(db)).toBe(4);
    expect(db.prepare("SELECT name FROM units WHERE code = ?").get("25747-01")).toEqual({ name: "Ấp Bến Đò Mới" });
  });

  it("imports the sample file twice without change", () => {
    db = openDatabase(":memory:");
    const units = readUnitsCsv(readFileSync(SAMPLE_UNITS, "utf8"));
    importUnits(db, units);
    const n = unitCount(db);
    expect(n).toBe(units.length);
    importUnits(db, units);
    expect(unitCount(db)).toBe(n);
  });

  it("rolls back the whole import when a parent is missing from the database", () => {
    db = openDatabase(":memory:");
    expect(() =>
      importUnits(db!, [
        { code: "75", name: "Tỉnh Đồng Nai", level: "province", parentCode: null },
        { code: "1", name: "Ấp Lạc", level: "area", parentCode: "nowhere" },
      ]),
    ).toThrow();
    expect(unitCount(db)).toBe(0);
  });
});

describe("the whole resulting tree", () => {
  let db: DB | undefined;
  afterEach(() => db?.close());

  function stored(): DB {
    db = openDatabase(":memory:");
    importUnitsFile(db, Buffer.from(csv("75,Tỉnh Đồng Nai,province,", "25747,Xã Tân Khai,commune,75", "25747-01,Ấp Bến Đò,area,25747")));
    return db;
  }

  function importError(bytes: Buffer): string {
    try {
      importUnitsFile(db!, bytes);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error("importUnitsFile accepted a bad file");
  }

  it("refuses a province under a commune, a commune under an area and an area under a district, naming each line", () => {
    stored();
    const msg = importError(
      Buffer.from(csv("76,Tỉnh Bình Phước,province,25747", "25748,Xã Mới,commune,25747-01", "750,Huyện Hớn Quản,district,75", "9,Ấp Lạc,area,750")),
    );
    expect(msg.split("\n")).toEqual([
      "Dòng 2: 76 (province) không thể thuộc 25747 (commune)",
      "Dòng 3: 25748 (commune) không thể thuộc 25747-01 (area)",
      "Dòng 5: 9 (area) không thể thuộc 750 (district)",
    ]);
    expect(unitCount(db!)).toBe(3);
  });

  it("refuses a level change that leaves stored units under the wrong level", () => {
    stored();
    expect(importError(Buffer.from(csv("25747,Xã Tân Khai,area,75")))).toBe(
      "Dòng 2: 25747 (area) không thể thuộc 75 (province)\nDòng 2: 25747 không thể là area: đơn vị đã có 25747-01 (area) thuộc 25747",
    );
  });

  it("names a cycle, and writes nothing of a file with a problem", () => {
    stored();
    const msg = importError(Buffer.from(csv("800,Huyện A,district,801", "801,Huyện B,district,800", "25747-09,Ấp Mới,area,25747")));
    expect(msg).toContain("Dòng 2: 800 nằm trong một vòng lặp cấp trên (800 → 801 → 800)");
    expect(msg).toContain("Dòng 3: 801 (district) không thể thuộc 800 (district)");
    expect(unitExists(db!, "25747-09")).toBe(false);
  });

  it("moves an area to another commune and accepts a district between a province and its communes", () => {
    stored();
    importUnitsFile(db!, Buffer.from(csv("750,Huyện Hớn Quản,district,75", "25750,Xã Tân Quan,commune,750", "25747-01,Ấp Bến Đò,area,25750")));
    expect(db!.prepare("SELECT parent_code FROM units WHERE code = '25747-01'").get()).toEqual({ parent_code: "25750" });
  });

  it("refuses a file that is not UTF-8 (saved as Windows-1258), naming its lines", () => {
    stored();
    // "Ấp Bến Đò" and "Ấp Cây Dầu" the way a legacy code page stores them: single bytes that are not UTF-8.
    const bytes = Buffer.from(`${HEADER}\n25747-02,\xC2p C\xE2y D\xE2u,area,25747\n25747-03,Ap Soc Ruong,area,25747\n25747-04,\xC2p B\xE0u L\xF2n,area,25747\n`, "latin1");
    const msg = importError(bytes);
    expect(msg.split("\n").slice(0, 2)).toEqual(["Dòng 2: có chữ không phải mã UTF-8", "Dòng 4: có chữ không phải mã UTF-8"]);
    expect(msg).toContain("CSV UTF-8");
    expect(unitCount(db!)).toBe(3);
    expect(() => decodeUtf8(Buffer.from("code,name\n1,Ấp Bến Đò\n"))).not.toThrow();
  });

  it("reads a line break inside a quoted name as a space and refuses control characters", () => {
    expect(readUnitsCsv(csv('75,"Tỉnh\nĐồng Nai",province,'))[0]!.name).toBe("Tỉnh Đồng Nai");
    expect(errorOf(csv("75,Tỉnh\u0007Đồng Nai,province,"))).toBe("Dòng 2: có ký tự điều khiển trong mã hoặc tên");
  });
});
