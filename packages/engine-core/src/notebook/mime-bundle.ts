// The protocol a value follows to show itself richly in a notebook: a method under a registered
// symbol returning a Jupyter MIME bundle (`{"text/html": …, "text/plain": …}`), the way IPython
// asks objects for `_repr_mimebundle_`. Registered with Symbol.for so that two copies of this
// package (or another library) agree on it.

/** The key of the method that returns a value's MIME bundle: `value[MIME_BUNDLE]()`. */
export const MIME_BUNDLE: unique symbol = Symbol.for("engine.mimeBundle") as never;

/** A Jupyter MIME bundle: MIME type → content. `text/plain` should always be present. */
export type MimeBundle = { readonly "text/plain": string } & Readonly<Record<string, string>>;

/** A value that renders itself as a MIME bundle. */
export interface HasMimeBundle {
  [MIME_BUNDLE](): MimeBundle;
}

/** Whether `value` follows the MIME bundle protocol. */
export function hasMimeBundle(value: unknown): value is HasMimeBundle {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as Record<symbol, unknown>)[MIME_BUNDLE] === "function";
}
