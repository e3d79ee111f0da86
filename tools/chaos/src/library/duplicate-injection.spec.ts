import { withDuplicates } from './duplicate-injection';

describe(withDuplicates.name, () => {
  const records = Array.from({ length: 200 }, (_, i) => i);

  it('keeps every record once in its order and adds the repeats it counts', () => {
    const { sequence, injected, outOfPlace } = withDuplicates(records, {
      share: 0.3,
      outOfPlaceShare: 0.5,
      maxLag: 10,
    });

    const firsts = sequence.filter((value, index) => sequence.indexOf(value) === index);
    expect(firsts).toEqual(records);
    expect(sequence).toHaveLength(records.length + injected);
    expect(injected).toBeGreaterThan(20);
    expect(outOfPlace).toBeGreaterThan(0);
  });

  it('puts an out-of-place repeat after later records', () => {
    const { sequence } = withDuplicates([1, 2, 3, 4], { share: 1, outOfPlaceShare: 1, maxLag: 1 });

    expect(sequence.indexOf(1, 1)).toBeGreaterThan(sequence.indexOf(2));
  });
});
