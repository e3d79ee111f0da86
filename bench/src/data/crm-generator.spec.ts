import { planImport } from '../../../tools/import/src/import.planner';
import { readMavenTables } from '../../../tools/import/src/maven.files';
import { generatedSetFor, generateTables } from './crm-generator';
import { MAVEN_FIXTURE } from './maven-data-set';

describe('generated data set', () => {
  it('gives the same rows for the same seed, slice by slice, and others for another', async () => {
    const model = await readMavenTables(MAVEN_FIXTURE);
    const set = generatedSetFor(200, 5);

    const whole = generateTables(model, set, 0, 200);
    const sliced = [generateTables(model, set, 0, 120), generateTables(model, set, 120, 200)];
    const other = generateTables(model, generatedSetFor(200, 6), 0, 200);

    expect(sliced.flatMap((t) => t.pipeline.records.map((r) => r.values))).toEqual(
      whole.pipeline.records.map((r) => r.values),
    );
    expect(sliced[1].accounts).toEqual(whole.accounts);
    expect(other.pipeline.records.map((r) => r.values)).not.toEqual(
      whole.pipeline.records.map((r) => r.values),
    );
  });

  it('plans like the Maven files: every row taken, parent levels and stages alike', async () => {
    const model = await readMavenTables(MAVEN_FIXTURE);
    const modelPlan = planImport(model);

    const plan = planImport(generateTables(model, generatedSetFor(500, 5), 0, 500));

    expect(plan.problems).toEqual([]);
    expect(plan.deals).toHaveLength(500);
    expect(plan.companyLevels.length).toBe(modelPlan.companyLevels.length);
    const stages = (deals: typeof plan.deals) => new Set(deals.map((deal) => deal.finalStage));
    expect(stages(plan.deals)).toEqual(stages(modelPlan.deals));
  });
});
