/** The plan checkout resource value. */
export const R = 'planCheckout';
