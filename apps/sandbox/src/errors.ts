/**
 * A business rule refused a request. The gateway answers `40004 Business Failed` with `subCode`/`subMsg`
 * (https://opendocs.alipay.com/common/02km9f); the control API answers `status` with the same code.
 */
export class BusinessError extends Error {
  override readonly name = 'BusinessError';
  constructor(
    readonly subCode: string,
    readonly subMsg: string,
    readonly status = 409,
  ) {
    super(`${subCode}: ${subMsg}`);
  }
}

/** A control API request named something that does not exist. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** A control API request that is well-formed but conflicts with the sandbox's state. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}
