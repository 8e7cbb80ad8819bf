import { ApiError } from '../errors.js';

/** A PATCH must change something: a body naming no editable field is a 400, not a no-op. */
export function assertPatchNamesAField(patch: object): void {
  if (Object.keys(patch).length === 0) {
    throw new ApiError('validation_failed', 'no updatable field given', [
      { reason: 'the body names no field that PATCH can change' },
    ]);
  }
}
