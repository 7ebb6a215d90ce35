/** Payment card numbers: 13–19 digits that pass the Luhn check. */
import { REDACTED } from './redaction-marker.ts';

// Contiguous digits, or groups of 3–6 separated by single spaces or dashes (4111 1111 1111 1111,
// 3782-822463-10005). The first digit is a card network's (2–6), which spares epoch timestamps and snowflake
// ids (they start with 1); neighbouring digits, letters and dots rule out parts of longer numbers. A Discord
// mention or channel link (`<@id>`, `<@!id>`, `<@&id>`, `<#id>`) holds an id, never a card, whatever its digits.
const CARD = /(?<![\w.+-]|<(?:@[!&]?|#))(?:[2-6]\d{12,18}|[2-6]\d{3}(?:[ -]\d{3,6}){2,4})(?![\w]|[ .-]\d)/g;

/** Whether the digits pass the Luhn checksum. */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Replaces card numbers; digit runs that fail the Luhn check (ids, timestamps) stay. */
export function redactCardNumbers(text: string): string {
  return text.replace(CARD, (match) => {
    const digits = match.replace(/\D/g, '');
    return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits) ? REDACTED : match;
  });
}
