import { describe, expect, it } from 'vitest';
import { accountNameOf, parseBlobLocation } from '../../src/azure/blobLocation';
import { retryAfterMs } from '../../src/azure/retryAfter';
import { AppError } from '../../src/errors/AppError';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] });

describe('retryAfterMs', () => {
  it('reads seconds, HTTP dates and the millisecond headers', () => {
    expect(retryAfterMs(headers({ 'retry-after': '7' }))).toBe(7000);
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '7' }))).toBe(250);
    expect(
      retryAfterMs(
        headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }),
        Date.parse('2015-10-21T07:28:00Z'),
      ),
    ).toBe(30_000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});

describe('parseBlobLocation', () => {
  it('splits an Azure blob URL (host-style account)', () => {
    const url =
      'https://stcaptures.blob.core.windows.net/network-watcher-logs/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/web-01/2025/01/31/packetcapture_16_39_41_077.cap';
    expect(parseBlobLocation(url, 'stcaptures')).toEqual({
      serviceUrl: 'https://stcaptures.blob.core.windows.net',
      accountName: 'stcaptures',
      container: 'network-watcher-logs',
      blobName:
        'subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/web-01/2025/01/31/packetcapture_16_39_41_077.cap',
      url,
    });
  });

  it("splits Azurite's path-style URL and drops any query", () => {
    const location = parseBlobLocation(
      'http://127.0.0.1:10000/devstoreaccount1/c/a%20b/x.cap?sv=secret',
      'devstoreaccount1',
    );
    expect(location).toMatchObject({
      serviceUrl: 'http://127.0.0.1:10000/devstoreaccount1',
      container: 'c',
      blobName: 'a b/x.cap',
      url: 'http://127.0.0.1:10000/devstoreaccount1/c/a%20b/x.cap',
    });
  });

  it('refuses a blob of another account, without echoing a SAS', () => {
    try {
      parseBlobLocation('https://evil.blob.core.windows.net/c/x.cap?sig=topsecret', 'stcaptures');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('BLOB_LOCATION_INVALID');
      expect((error as AppError).message).not.toContain('topsecret');
      expect((error as AppError).message).toContain('CAPTURE_STORAGE_ACCOUNT_ID');
    }
  });

  it('refuses URLs without a blob', () => {
    expect(() =>
      parseBlobLocation('https://stcaptures.blob.core.windows.net/container', 'stcaptures'),
    ).toThrow(/container and a blob/);
    expect(() => parseBlobLocation('not a url', 'stcaptures')).toThrow(AppError);
  });

  it('takes the account name from the storage account id', () => {
    expect(
      accountNameOf(
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stcaptures',
      ),
    ).toBe('stcaptures');
  });
});
