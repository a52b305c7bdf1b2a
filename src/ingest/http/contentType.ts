// Alerts come as JSON: application/json, or any application/…+json type, with any parameters.

const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/;

export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semicolon = header.indexOf(';');
  const mediaType = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return JSON_MEDIA_TYPE.test(mediaType);
}
