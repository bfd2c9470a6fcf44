// The unit trees the scale benchmark runs on, shaped like Vietnam since the July 2025 reform: provinces hold
// communes directly (no district level), about 30 residential areas a commune. Three trees:
//   province    one province → about 100 communes → about 3,000 areas
//   country     a national root → 34 provinces (their 2025 commune counts, 3,321 communes) → about 100,000 areas
//   three-tier  province → 10 districts × 10 communes × 30 areas, for the places that still keep districts
// Each comes in three sizes: full (`npm run bench`), quick (`--quick`, a smoke run) and tiny (`--tiny`, the
// test that keeps the instrument from rotting). Codes sort in tree order (a child's code starts with its
// parent's), so the seeder inserts every table in key order.
import type { UnitRecord } from "../../src/store/units.js";
import { mulberry32 } from "../../test/support/seeded-random.js";

export const TREE_NAMES = ["province", "country", "three-tier"] as const;
export type TreeName = (typeof TREE_NAMES)[number];
export type TreeSize = "full" | "quick" | "tiny";

export interface Tree {
  name: TreeName;
  size: TreeSize;
  root: UnitRecord;
  /** Every unit, root included, in code order. */
  units: UnitRecord[];
  /** Units of each level below the root, in code order. */
  provinces: string[];
  districts: string[];
  communes: string[];
  areas: string[];
}

/**
 * The 34 provincial units since 2025 with the number of communes, wards and special zones each received in
 * the reform (3,321 in all). The counts shape the country tree; the bench does not depend on them being exact.
 */
export const PROVINCES_2025: ReadonlyArray<readonly [name: string, communes: number]> = [
  ["Thành phố Hà Nội", 126], ["Thành phố Hồ Chí Minh", 168], ["Thành phố Hải Phòng", 114], ["Thành phố Đà Nẵng", 94],
  ["Thành phố Cần Thơ", 103], ["Thành phố Huế", 40], ["Tỉnh Tuyên Quang", 124], ["Tỉnh Lào Cai", 99],
  ["Tỉnh Thái Nguyên", 92], ["Tỉnh Phú Thọ", 148], ["Tỉnh Bắc Ninh", 99], ["Tỉnh Hưng Yên", 104],
  ["Tỉnh Ninh Bình", 129], ["Tỉnh Quảng Trị", 78], ["Tỉnh Quảng Ngãi", 96], ["Tỉnh Gia Lai", 135],
  ["Tỉnh Khánh Hòa", 65], ["Tỉnh Lâm Đồng", 124], ["Tỉnh Đắk Lắk", 102], ["Tỉnh Đồng Nai", 95],
  ["Tỉnh Tây Ninh", 96], ["Tỉnh Vĩnh Long", 124], ["Tỉnh Đồng Tháp", 102], ["Tỉnh Cà Mau", 64],
  ["Tỉnh An Giang", 102], ["Tỉnh Lai Châu", 38], ["Tỉnh Điện Biên", 45], ["Tỉnh Sơn La", 75],
  ["Tỉnh Lạng Sơn", 65], ["Tỉnh Quảng Ninh", 54], ["Tỉnh Thanh Hóa", 166], ["Tỉnh Nghệ An", 130],
  ["Tỉnh Hà Tĩnh", 69], ["Tỉnh Cao Bằng", 56],
];

const FIRST = ["An", "Bình", "Tân", "Phú", "Hòa", "Long", "Thạnh", "Mỹ", "Vĩnh", "Đông", "Tây", "Nam", "Bắc", "Hưng", "Thuận", "Phước", "Thới", "Lộc", "Minh", "Quang"];
const SECOND = ["Phú", "Hòa", "Lợi", "Thạnh", "Khánh", "Hưng", "Lộc", "Bình", "An", "Long", "Thành", "Đông", "Tây", "Mỹ", "Hiệp", "Hội", "Xuân", "Trung", "Định", "Sơn"];

/** The i-th of 400 place names ("An Phú", "Bình Hòa", …): unique within any one parent. */
export function placeName(i: number): string {
  const a = FIRST[i % FIRST.length]!;
  const b = SECOND[(Math.floor(i / FIRST.length) + i) % SECOND.length]!;
  const name = a === b ? `${a} ${SECOND[(SECOND.indexOf(b) + 1) % SECOND.length]}` : `${a} ${b}`;
  return i < FIRST.length * SECOND.length ? name : `${name} ${Math.floor(i / (FIRST.length * SECOND.length)) + 1}`;
}


const pad = (n: number, width: number) => String(n).padStart(width, "0");

class TreeBuilder {
  readonly units: UnitRecord[] = [];
  readonly provinces: string[] = [];
  readonly districts: string[] = [];
  readonly communes: string[] = [];
  readonly areas: string[] = [];
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  add(u: UnitRecord): string {
    this.units.push(u);
    ({ province: this.provinces, district: this.districts, commune: this.communes, area: this.areas })[u.level].push(u.code);
    return u.code;
  }

  /** A commune (a ward one time in four) and its areas: "Ấp 1…" in a commune, "Khu phố 1…" in a ward. */
  commune(code: string, index: number, parent: string, areas: number): void {
    const ward = index % 4 === 3;
    this.add({ code, name: `${ward ? "Phường" : "Xã"} ${placeName(index)}`, level: "commune", parentCode: parent });
    for (let a = 1; a <= areas; a++) {
      this.add({ code: `${code}-${pad(a, 2)}`, name: `${ward ? "Khu phố" : "Ấp"} ${a}`, level: "area", parentCode: code });
    }
  }

  /** About `mean` areas, between half and one and a half times it. */
  areaCount(mean: number): number {
    const low = Math.max(1, Math.round(mean / 2));
    return low + Math.floor(this.random() * (2 * mean - 2 * low + 1));
  }

  tree(name: TreeName, size: TreeSize, root: UnitRecord): Tree {
    const units = [root, ...this.units].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return { name, size, root, units, provinces: this.provinces, districts: this.districts, communes: this.communes, areas: this.areas };
  }
}

const SIZES: Record<TreeName, Record<TreeSize, { outer: number; inner: number; areas: number }>> = {
  // outer: communes (province), provinces (country, 0 = all 34 with their own counts), districts (three-tier)
  // inner: communes per province (country, 0 = the 2025 counts) or per district (three-tier)
  province: { full: { outer: 100, inner: 0, areas: 30 }, quick: { outer: 10, inner: 0, areas: 30 }, tiny: { outer: 3, inner: 0, areas: 4 } },
  country: { full: { outer: 34, inner: 0, areas: 30 }, quick: { outer: 34, inner: 3, areas: 10 }, tiny: { outer: 3, inner: 2, areas: 3 } },
  "three-tier": { full: { outer: 10, inner: 10, areas: 30 }, quick: { outer: 3, inner: 3, areas: 10 }, tiny: { outer: 2, inner: 2, areas: 3 } },
};

/** The tree of that name and size; the same every time. */
export function buildTree(name: TreeName, size: TreeSize): Tree {
  const s = SIZES[name][size];
  const b = new TreeBuilder(name === "province" ? 1 : name === "country" ? 2 : 3);
  switch (name) {
    case "province": {
      const root: UnitRecord = { code: "86", name: "Tỉnh Bình An", level: "province", parentCode: null };
      for (let c = 0; c < s.outer; c++) b.commune(`86${pad(c + 1, 3)}`, c, root.code, b.areaCount(s.areas));
      return b.tree(name, size, root);
    }
    case "country": {
      // No unit level sits above a province in the schema: the national root is stored as a province that the
      // 34 provinces belong to. The summaries, boards and drafts work on any subtree, so this is the whole
      // country as one officer's unit.
      const root: UnitRecord = { code: "VN", name: "Cả nước", level: "province", parentCode: null };
      PROVINCES_2025.slice(0, s.outer).forEach(([provinceName, communes], p) => {
        const province = b.add({ code: `VN${pad(p + 1, 2)}`, name: provinceName, level: "province", parentCode: root.code });
        const n = s.inner || communes;
        for (let c = 0; c < n; c++) b.commune(`${province}${pad(c + 1, 3)}`, c, province, b.areaCount(s.areas));
      });
      return b.tree(name, size, root);
    }
    case "three-tier": {
      const root: UnitRecord = { code: "87", name: "Tỉnh Hòa Bình Mới", level: "province", parentCode: null };
      for (let d = 0; d < s.outer; d++) {
        const district = b.add({ code: `87${pad(d + 1, 2)}`, name: `Huyện ${placeName(d + 7)}`, level: "district", parentCode: root.code });
        for (let c = 0; c < s.inner; c++) b.commune(`${district}${pad(c + 1, 3)}`, c, district, s.areas);
      }
      return b.tree(name, size, root);
    }
  }
}
