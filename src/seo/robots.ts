// robots.txt: crawl everything public, not the administration or the data API; name the sitemap.

/**
 * @example renderRobotsTxt('https://www.osce.org') // 'User-agent: *\nAllow: /\n...Sitemap: https://www.osce.org/sitemap.xml\n'
 */
export function renderRobotsTxt(baseUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Disallow: /admin/',
    'Disallow: /api/v1/',
    '',
    `Sitemap: ${baseUrl}/sitemap.xml`,
    '',
  ].join('\n');
}
