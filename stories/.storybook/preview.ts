import type { Preview } from '@storybook/web-components-vite';

/**
 * Every story names its language (`lang` on the element, `vi` or `en`), so
 * the same state is shown and tested in both; the layout keeps elements at a
 * realistic width.
 */
const preview: Preview = {
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
  },
};

export default preview;
