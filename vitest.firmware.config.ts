import { defineConfig } from 'vitest/config';

/** The firmware tests that boot the ARM ELF in QEMU: run by `npm run firmware:test`, after the ELF is built. */
export default defineConfig({
  test: {
    include: ['test/bridge/qemu-boot.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
