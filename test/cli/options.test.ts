import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { SHARED_OPTIONS, type OptionSpec } from '../../src/cli/options.js';
import { SIM_OUTPUT_FORMATS } from '../../src/report/simulate-index.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../src/sources/cluster-client.js';

const io = {
  stdout: () => undefined,
  stderr: () => undefined,
  readStdin: async () => '',
  cwd: process.cwd(),
  env: {},
  stdoutIsTTY: false,
};

/** The commands that report findings or verdicts, and so take -o and --fail-on. */
const REPORTING = ['check', 'scan', 'simulate', 'fix', 'chaos'];

/**
 * Value options whose --help says no default, and why that is right. Any other option that takes a
 * value shows its default.
 */
const NO_DEFAULT: Record<string, string> = {
  '--topology': 'absent means the shorthand topology, whose flags show their defaults',
  '--min-available': "absent means each workload's PDB, said in the description",
  '--tls-cert': 'required',
  '--tls-key': 'required',
  '--pdb-file': 'absent means next to the workload, said in the description',
  '--dry-run': 'a mode, off when absent',
};

function specOf(option: Option): OptionSpec & { default?: unknown } {
  return {
    flags: option.flags,
    description: option.description,
    ...(option.argChoices ? { choices: option.argChoices } : {}),
    ...(option.defaultValue !== undefined ? { default: option.defaultValue as string } : {}),
  };
}

function tableSpec(spec: OptionSpec): OptionSpec {
  return {
    flags: spec.flags,
    description: spec.description,
    ...(spec.choices ? { choices: [...spec.choices] } : {}),
    ...(spec.default !== undefined ? { default: spec.default } : {}),
  };
}

describe('one CLI vocabulary', async () => {
  const program: Command = await buildProgram(io, () => undefined);
  const commands = program.commands;
  const byFlag = new Map<string, { command: string; option: Option }[]>();
  for (const command of commands)
    for (const option of command.options) {
      const key = option.long ?? option.flags;
      byFlag.set(key, [...(byFlag.get(key) ?? []), { command: command.name(), option }]);
    }
  const table = Object.values(SHARED_OPTIONS).map((s) => tableSpec(s));

  it('declares every option that two commands share from the one table', () => {
    for (const [flag, uses] of byFlag) {
      if (uses.length < 2) continue;
      for (const { command, option } of uses)
        expect(table, `${command} ${flag}: declare it with sharedOption()`).toContainEqual(specOf(option));
    }
  });

  it('gives every command that reports findings or verdicts -o and --fail-on', () => {
    for (const name of REPORTING) {
      const command = commands.find((c) => c.name() === name)!;
      const longs = command.options.map((o) => o.long);
      expect(longs, name).toContain('--output');
      expect(longs, name).toContain('--fail-on');
      expect(command.options.find((o) => o.long === '--output')?.short, name).toBe('-o');
    }
  });

  it('gives check and scan the one --compact (text: headlines only)', () => {
    for (const name of ['check', 'scan']) {
      const option = commands.find((c) => c.name() === name)!.options.find((o) => o.long === '--compact');
      expect(option, name).toBeDefined();
      expect(specOf(option!), name).toEqual(tableSpec(SHARED_OPTIONS.compact));
    }
  });

  it('shows the default of every option that takes a value', () => {
    for (const command of commands)
      for (const option of command.options) {
        if ((!option.required && !option.optional) || option.hidden) continue;
        const shared = Object.values(SHARED_OPTIONS).find((s) => s.flags === option.flags) as
          OptionSpec | undefined;
        const said =
          option.defaultValue !== undefined ||
          /\(default: |default: /.test(option.description) ||
          shared?.noDefault !== undefined ||
          NO_DEFAULT[option.long ?? ''] !== undefined;
        expect(said, `${command.name()} ${option.flags}`).toBe(true);
        if (typeof option.defaultValue === 'string')
          expect(
            option.defaultValue,
            `${command.name()} ${option.flags}: a number default must not be a string`,
          ).not.toMatch(/^\d+$/);
      }
  });

  it('says in the table what the code defaults to', () => {
    expect([...SHARED_OPTIONS.simulateOutput.choices]).toEqual(SIM_OUTPUT_FORMATS);
    expect(SHARED_OPTIONS.requestTimeout.description).toContain(
      `(default: ${DEFAULT_REQUEST_TIMEOUT_MS / 1000}s)`,
    );
  });
});
