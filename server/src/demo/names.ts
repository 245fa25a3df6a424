/** A seeded random source, so the same size always yields the same organisation. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '陈李黄张梁林刘吴罗杨何郑谢冯邓曾彭肖蔡潘许叶苏卢钟关'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀兰霞平刚桂英华建国志伟海燕玉梅春生金凤文辉'.split('');

/** A made-up Chinese name: no real person is meant. */
export function personName(rand: () => number): string {
  const pick = (xs: string[]) => xs[Math.floor(rand() * xs.length)]!;
  return pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : '');
}

export const NUMERALS = '一二三四五六七八九十'.split('');
/** 第一, 第二 … 第十, then plain numbers. */
export function ordinal(i: number): string {
  return i < NUMERALS.length ? `第${NUMERALS[i]}` : `第${i + 1}`;
}
