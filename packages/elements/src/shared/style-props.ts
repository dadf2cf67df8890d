import { noChange } from 'lit';
import { Directive, directive, PartType, type AttributePart, type PartInfo } from 'lit/directive.js';

/**
 * Sets inline CSS properties through the CSSOM (`element.style.setProperty`),
 * never through the `style` attribute. Lit's `styleMap` writes the attribute
 * on first render, which a strict Content-Security-Policy without
 * `'unsafe-inline'` refuses (CSP Level 3 `style-src-attr`); CSSOM changes are
 * not subject to it. Use as `style=${styleProps({ width: '10px' })}`.
 */
class StyleProps extends Directive {
  private applied = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ATTRIBUTE || info.name !== 'style') throw new Error('styleProps() belongs in a style attribute binding');
  }

  render(_props: Readonly<Record<string, string>>): unknown {
    return noChange;
  }

  override update(part: AttributePart, [props]: [Readonly<Record<string, string>>]): unknown {
    const style = (part.element as HTMLElement).style;
    for (const name of this.applied) if (!(name in props)) style.removeProperty(name);
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    this.applied = new Set(Object.keys(props));
    return noChange;
  }
}

/** See {@link StyleProps}. */
export const styleProps = directive(StyleProps);
