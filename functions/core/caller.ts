/** The signed-in user, as the API Gateway JWT authorizer vouches for them (R1). */
export interface Caller {
  /** Token subject: the user id. */
  userId: string;
  email: string | undefined;
  /** Cognito groups; `staff` marks the provider's support and accounting people. */
  groups: string[];
}
