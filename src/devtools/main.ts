// The DevTools page only registers the panel; the panel page does the work.
import { devtools } from '../platform/extension-api.ts';

devtools.createPanel('Telegram Errors', 'extension/icons/icon32.png', 'extension/panel.html');
