// Which routes of a dialect's table a table of bad-input cases never reaches: the bad-input
// tests assert this list is empty, so a route added later without a bad case fails them.
export function uncoveredRoutes(routes: readonly { method: string; path: string }[], cases: readonly (readonly [string, string, ...unknown[]])[]): string[] {
  return routes
    .filter((route) => {
      // A documented path with :params, matched against a request URL (params never empty).
      const re = new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/:[A-Za-z_]+/g, '[^/?]+')}(\\?|$)`);
      return !cases.some(([method, url]) => method === route.method && re.test(url));
    })
    .map((route) => `${route.method} ${route.path}`);
}
