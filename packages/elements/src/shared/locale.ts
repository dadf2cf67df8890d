/** The languages every element speaks. */
export type Lang = 'vi' | 'en';

/**
 * The language an element shows: its own `lang` attribute, else the nearest
 * ancestor's, else the document's; Vietnamese unless that says English
 * (the product's first users are Vietnamese agencies).
 */
export function resolveLang(element: Element): Lang {
  const tagged = element.closest('[lang]')?.getAttribute('lang') ?? element.ownerDocument?.documentElement.lang ?? '';
  return tagged.toLowerCase().startsWith('en') ? 'en' : 'vi';
}

/** A table of user-visible strings, one per language, with the same keys (checked by the compiler). */
export type Strings<K extends string> = Readonly<Record<Lang, Readonly<Record<K, string>>>>;

/** Fills `{name}` placeholders. */
export function format(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
