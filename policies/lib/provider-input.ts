/**
 * Provider inputs reach policies either as values or, for nested inputs, as JSON strings (that is how
 * providers receive them). These read both forms.
 */

/** The input decoded: a JSON object or array string parsed, anything else as given. */
function decode(value: unknown): unknown {
  if (typeof value === "string" && (value.startsWith("{") || value.startsWith("["))) {
    try {
      return JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return value;
}

/** The input as an object, or `undefined` when it is not one. */
export function inputObject(value: unknown): Record<string, unknown> | undefined {
  const decoded = decode(value);
  return decoded && typeof decoded === "object" && !Array.isArray(decoded)
    ? (decoded as Record<string, unknown>)
    : undefined;
}

/** The input as an array, or `undefined` when it is not one. */
export function inputArray(value: unknown): unknown[] | undefined {
  const decoded = decode(value);
  return Array.isArray(decoded) ? decoded : undefined;
}
