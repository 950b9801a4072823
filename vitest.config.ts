import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // run by `npm run firmware:test` (vitest.firmware.config.ts) after the firmware is built; not run twice
    exclude: [...configDefaults.exclude, 'test/bridge/qemu-boot.test.ts', 'test/bridge/posix-port.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
