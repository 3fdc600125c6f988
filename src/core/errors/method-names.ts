// Method constructor id -> name ('messages.sendMessage'), from the generated schema table.
import methods from '../generated/methods.json';

const byId = methods as Record<string, string>;

export function methodNameById(id: number): string | null {
  return byId[String(id >>> 0)] ?? null;
}
