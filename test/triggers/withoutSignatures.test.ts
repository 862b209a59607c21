import { describe, expect, it } from 'vitest';
import { withoutSignatures } from '../../src/triggers/withoutSignatures';

describe('withoutSignatures', () => {
  it('cuts the query of every URL that carries a SAS signature or a function key, wherever it is', () => {
    const state = {
      file: { url: 'https://st.blob.core.windows.net/c/a.cap?sv=2025&sp=r&sig=abc%3D' },
      links: ['http://127.0.0.1:7071/api/x?code=KEY123', 'https://example.com/page?q=1'],
      error: { message: 'GET https://st.blob.core.windows.net/c/a.cap?se=1&SIG=zz failed: 403' },
      count: 3,
      nothing: null,
    };
    expect(withoutSignatures(state)).toEqual({
      file: { url: 'https://st.blob.core.windows.net/c/a.cap' },
      links: ['http://127.0.0.1:7071/api/x', 'https://example.com/page?q=1'],
      error: { message: 'GET https://st.blob.core.windows.net/c/a.cap failed: 403' },
      count: 3,
      nothing: null,
    });
  });

  it('leaves its input unchanged', () => {
    const state = { url: 'https://a/b?sig=1' };
    withoutSignatures(state);
    expect(state.url).toBe('https://a/b?sig=1');
  });
});
