/**
 * The syntax checks of apimachinery's util/validation, which the API server applies to names,
 * namespaces, label keys and values and annotation keys. Each returns the API server's own message,
 * or undefined when the text is valid.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** IsDNS1123Label: namespaces, StatefulSets. */
export function dns1123Label(text: string): string | undefined {
  if (text.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(text))
    return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  return undefined;
}

/** IsDNS1123Subdomain: most objects' names (NameIsDNSSubdomain). */
export function dns1123Subdomain(text: string): string | undefined {
  if (text.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(text))
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/** IsValidPathSegmentName: RBAC names. */
export function pathSegmentName(text: string): string | undefined {
  if (text === '.' || text === '..') return `may not be '${text}'`;
  if (text.includes('/')) return "may not contain '/'";
  if (text.includes('%')) return "may not contain '%'";
  return undefined;
}

/**
 * The same few label keys and values (app, app.kubernetes.io/name…) recur on every object: their
 * verdicts are kept, up to a bound, instead of being worked out again.
 */
function remembered(check: (text: string) => string | undefined): (text: string) => string | undefined {
  const verdicts = new Map<string, string>();
  return (text) => {
    // Valid text (the usual answer) is remembered as '': one lookup answers.
    const known = verdicts.get(text);
    if (known !== undefined) return known === '' ? undefined : known;
    const verdict = check(text);
    if (verdicts.size < 10_000) verdicts.set(text, verdict ?? '');
    return verdict;
  };
}

/** IsQualifiedName: label keys and (lower-cased) annotation keys. */
export const qualifiedName = remembered(qualifiedNameOf);

function qualifiedNameOf(text: string): string | undefined {
  const parts = text.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    if (prefix.length === 0) return 'prefix part must be non-empty';
    const bad = dns1123Subdomain(prefix);
    if (bad) return `prefix part ${bad}`;
    name = rest;
  } else {
    return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_PART.test(name))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/** IsValidLabelValue. */
export const labelValue = remembered(labelValueOf);

function labelValueOf(text: string): string | undefined {
  if (text.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE.test(text))
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}
