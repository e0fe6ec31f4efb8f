import { isInside, toggleSelection } from './source-selection';

describe('source selection', () => {
  it('knows what lies inside a folder', () => {
    expect(isInside('/data/photos/2026', '/data/photos')).toBe(true);
    expect(isInside('/data/photos', '/data/photos')).toBe(false);
    expect(isInside('/data/photos-old', '/data/photos')).toBe(false);
    expect(isInside('/data', '/')).toBe(true);
  });

  it('drops what a newly selected folder already takes, and unselects', () => {
    const selected = toggleSelection(['/data/photos/2026', '/home/notes.md'], '/data/photos');
    expect(selected).toEqual(['/data/photos', '/home/notes.md']);
    expect(toggleSelection(selected, '/data/photos')).toEqual(['/home/notes.md']);
  });
});
