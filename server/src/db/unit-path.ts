/** Units store their path as '/root/…/own/': these convert it to and from the shared array form. */
export function pathToText(path: readonly string[]): string {
  return `/${path.join('/')}/`;
}

export function textToPath(text: string): string[] {
  return text.split('/').filter(Boolean);
}
