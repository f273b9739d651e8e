import { describe, expect, it } from 'vitest';
import { errorCatalogue, errorCodes, errorMessage, isErrorCode } from '../../../src/i18n/errors.ts';

describe('error-code catalogue', () => {
  it('keeps its published codes: renumbering, removing or adding one must be deliberate', () => {
    expect(errorCodes).toEqual([
      'WZBAM001E',
      'WZBAM002E',
      'WZBAM010E',
      'WZBAM020E',
      'WZBAM021E',
      'WZBAM022E',
      'WZBAM023E',
      'WZBAM024E',
      'WZBAM025E',
      'WZBAM026E',
      'WZBAM027E',
      'WZBAM030E',
      'WZBAM031E',
      'WZBAM032E',
      'WZBAM040E',
      'WZBAM041E',
      'WZBAM050E',
      'WZBAM051E',
      'WZBAM060E',
      'WZBAM061E',
      'WZBAM070E',
      'WZBAM080E',
      'WZBAM081E',
      'WZBAM090E',
      'WZBAM091E',
      'WZBAM110E',
      'WZBAM111E',
      'WZBAM112E',
      'WZBAM245E',
      'WZBAM310E',
      'WZBAM320E',
      'WZBAM330E',
      'WZBAM331E',
      'WZBAM340E',
      'WZBAM345E',
      'WZBAM346E',
      'WZBAM350E',
      'WZBAM351E',
      'WZBAM900E',
      'WZBAM901E',
      'WZBAM902E',
    ]);
  });

  it('has every code in the manual form with Japanese and English text', () => {
    for (const code of errorCodes) {
      expect(code).toMatch(/^WZBAM\d{3}E$/);
      expect(errorCatalogue[code].ja.trim()).not.toBe('');
      expect(errorCatalogue[code].en.trim()).not.toBe('');
    }
  });

  it("keeps the manual's two messages word for word", () => {
    expect(errorMessage('WZBAM001E', 'en')).toBe(
      'WZBAM001E: Enter the information in the column marked with (!)',
    );
    expect(errorMessage('WZBAM245E', 'en')).toBe('WZBAM245E: Please enter the information to change.');
    expect(errorMessage('WZBAM001E', 'ja')).toBe('WZBAM001E：「!」が付いている項目を入力してください。');
    expect(errorMessage('WZBAM245E', 'ja')).toBe('WZBAM245E：変更する情報を入力してください。');
  });

  it('shows an unknown code as the system error, never as an empty message', () => {
    expect(isErrorCode('WZBAM999E')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(errorMessage('WZBAM999E', 'en')).toBe(errorMessage('WZBAM900E', 'en'));
  });
});
