/**
 * Where a finding points and what fills its message: shared by the rules that report findings and the
 * fixes that edit them, so neither layer has to import the other for these shapes.
 */

/** A position in a source file: 1-based line and column. */
export interface Location {
  file: string;
  line: number;
  column: number;
}

/** The values a rule's message template interpolates (`{{name}}`). */
export type MessageData = Record<string, string | number>;
