import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogSchema } from '@gestiona/core/catalog';
import { checkScript, scriptSchema } from '@gestiona/core/script';
import { tempDir } from '../fixtures/server.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import { CATALOG_CODES_EXPECTED, CATALOG_GROUPS_EXPECTED } from './expected-catalog.ts';
import { ContentError, loadResources } from './load-resources.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function copyOfResources(): string {
  const dir = tempDir();
  dirs.push(dir);
  cpSync(join(DEFAULT_RESOURCES_DIR, 'catalog.json'), join(dir.path, 'catalog.json'));
  cpSync(join(DEFAULT_RESOURCES_DIR, 'rule-pack.json'), join(dir.path, 'rule-pack.json'));
  cpSync(join(DEFAULT_RESOURCES_DIR, 'strategy.json'), join(dir.path, 'strategy.json'));
  cpSync(join(DEFAULT_RESOURCES_DIR, 'scripts'), join(dir.path, 'scripts'), { recursive: true });
  return dir.path;
}

describe('default content', () => {
  it('loads the catalog, the rule pack and one script per segment', async () => {
    const items = await loadResources(DEFAULT_RESOURCES_DIR);
    expect(items.map((item) => item.key).sort()).toEqual(
      ['catalog', 'rulepack', 'script:guion-castigada', 'script:guion-media', 'script:guion-preventiva', 'script:guion-tardia', 'script:guion-temprana', 'strategy'],
    );
  });

  it('ships the fourteen catalog codes with their groups, classes and fields', async () => {
    const items = await loadResources(DEFAULT_RESOURCES_DIR);
    const catalog = catalogSchema.parse(items.find((item) => item.key === 'catalog')!.entry.payload);
    expect(catalog.version).toBe('2026.3');
    expect(catalog.groups).toEqual(CATALOG_GROUPS_EXPECTED);
    expect(catalog.codes.map((code) => [code.code, code.label, code.group, code.class, code.fields.map((field) => `${field.name}:${field.type}`)])).toEqual(CATALOG_CODES_EXPECTED);
  });

  it('has scripts that pass the script check, identity first, in order', async () => {
    const items = await loadResources(DEFAULT_RESOURCES_DIR);
    for (const item of items.filter((candidate) => candidate.entry.type === 'script.set')) {
      const script = scriptSchema.parse(item.entry.payload);
      expect(checkScript(script), script.id).toEqual([]);
      expect(script.steps.map((step) => step.kind).slice(0, 3), script.id).toEqual(['greeting', 'identity-check', 'reason']);
      expect(script.steps.at(-1)?.kind).toBe('closing');
      expect(script.steps.some((step) => step.kind === 'negotiation')).toBe(true);
      expect(script.steps.some((step) => step.kind === 'objection')).toBe(true);
    }
  });
});

describe('rejected content', () => {
  it('rejects a script asking why', async () => {
    const dir = copyOfResources();
    const script = {
      id: 'guion-media',
      version: 'x',
      name: 'Malo',
      segment: 'media',
      steps: [
        { id: 'saludo', kind: 'greeting', title: 'Saludo', text: 'Hola {{nombre}}.' },
        { id: 'verificacion', kind: 'identity-check', title: 'Verificación', text: 'Confirme su documento.' },
        { id: 'motivo', kind: 'reason', title: 'Motivo', text: '¿Por qué no ha pagado su cuota?' },
      ],
    };
    writeFileSync(join(dir, 'scripts', 'guion-media.json'), JSON.stringify(script));
    await expect(loadResources(dir)).rejects.toThrow(ContentError);
    await expect(loadResources(dir)).rejects.toThrow(/guion-media\.json[\s\S]*paso motivo: Paso "Motivo": no se puede preguntar por qué no pagó/);
  });

  it('names a debt variable shown before the identity check', async () => {
    const dir = copyOfResources();
    const script = {
      id: 'guion-media',
      version: 'x',
      name: 'Malo',
      segment: 'media',
      steps: [
        { id: 'saludo', kind: 'greeting', title: 'Saludo', text: 'Hola {{nombre}}, debe {{saldo_total}}.' },
        { id: 'verificacion', kind: 'identity-check', title: 'Verificación', text: 'Confirme su documento.' },
      ],
    };
    writeFileSync(join(dir, 'scripts', 'guion-media.json'), JSON.stringify(script));
    await expect(loadResources(dir)).rejects.toThrow(/revela la deuda antes de verificar la identidad/);
  });

  it('names an invalid catalog field and a missing segment script', async () => {
    const dir = copyOfResources();
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ version: '1', codes: [] }));
    await expect(loadResources(dir)).rejects.toThrow(/catalog\.json[\s\S]*codes/);

    const other = copyOfResources();
    writeFileSync(join(other, 'scripts', 'guion-tardia.json'), '{ not json');
    await expect(loadResources(other)).rejects.toThrow(/guion-tardia\.json[\s\S]*invalid JSON/);
  });
});
