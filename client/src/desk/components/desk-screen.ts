/** Wide enough for the desk (it is laid out for 1280×800; a laptop at 1200 still fits it). */
const DESK_MIN_WIDTH = 1200;

/** Whether this screen is a desk's, not a phone's: where "/" sends a supervisor who is not a liaison member. */
export function isDeskScreen(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(`(min-width: ${DESK_MIN_WIDTH}px)`).matches;
}
