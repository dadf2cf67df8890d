/**
 * The appearance builder (`build.ts`), loaded on first use, so that importing
 * kyso or signing invisibly does not load pdf-lib and fontkit (about 45 MB of
 * memory in Node). Typed from the implementation by {@link lazyExport}.
 */
import { lazyExport, onFirstUse } from '../../util/lazy-export.js';

const buildModule = onFirstUse(() => import('./build.js'));

/** {@inheritDoc pdf/appearance/build!buildAppearance} */
export const buildAppearance = lazyExport(buildModule, 'buildAppearance');
