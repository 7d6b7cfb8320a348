/**
 * The page around a socket: the `online` event, and a hidden page
 * becoming visible. Both mean "now is a good time to reconnect".
 *
 * @packageDocumentation
 */

interface Listenable {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

interface Environment extends Partial<Listenable> {
  document?: Listenable & { visibilityState?: string };
}

/**
 * Calls `wake` on `online`, and on `visibilitychange` to visible, where
 * the global object has such events (browsers, workers); in Node it
 * listens to nothing. Returns the function that removes both listeners.
 *
 * @internal
 */
export function watchEnvironment(wake: (why: string) => void): () => void {
  const page = globalThis as Environment;
  const { document } = page;
  const onOnline = (): void => {
    wake("back online");
  };
  const onVisibilityChange = (): void => {
    if (document?.visibilityState === "visible") wake("page visible again");
  };

  page.addEventListener?.("online", onOnline);
  document?.addEventListener("visibilitychange", onVisibilityChange);

  return () => {
    page.removeEventListener?.("online", onOnline);
    document?.removeEventListener("visibilitychange", onVisibilityChange);
  };
}
