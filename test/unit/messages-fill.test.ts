import { describe, expect, it } from "vitest";
import { fill } from "../../src/core/messages.js";

describe("fill", () => {
  it("puts each placeholder's value in, numbers as text", () => {
    expect(fill("Đã ghi nhận {values}. Phần {n}/{total}: {title}", { values: "12 buổi", n: 2, total: 6, title: "Hòa giải" })).toBe(
      "Đã ghi nhận 12 buổi. Phần 2/6: Hòa giải",
    );
  });

  it("leaves unknown placeholders visible and the text around them as it is", () => {
    expect(fill("{a} và {b}", { a: "x" })).toBe("x và {b}");
    expect(fill("không có chỗ nào", { a: "x" })).toBe("không có chỗ nào");
    expect(fill("", { a: "x" })).toBe("");
  });

  it("reads only names made of letters, digits and _ that do not start with a digit", () => {
    const vars = { name: "Tư", Name: "Hạnh", _x: "y", a1: "z", "1a": "no" };
    expect(fill("{{name}}", vars)).toBe("{Tư}");
    expect(fill("{Name}{_x}{a1}{1a}{a-}{}", vars)).toBe("Hạnhyz{1a}{a-}{}");
    expect(fill("{name", vars)).toBe("{name");
    expect(fill("}{name}{", vars)).toBe("}Tư{");
    expect(fill("{name}{name}{name}", vars)).toBe("TưTưTư");
  });

  it("does not read placeholders inside a value put in", () => {
    expect(fill("{a}{b}", { a: "{b}", b: "2" })).toBe("{b}2");
  });
});
