/**
 * Differential privacy at a data owner: the DP-SGD parameters a job sets ({@link
 * org.fedledger.learning.privacy.DpConfig}) and the cryptographically secure source of Poisson
 * sampling and Gaussian noise ({@link org.fedledger.learning.privacy.SecureNoise}), and where a
 * round's draws are made ({@link org.fedledger.learning.privacy.StepDrawing}: inline for small
 * models, ahead on a second thread for large ones). The training loop that applies them is {@code
 * LocalTrainer}; the (ε, δ) accountant is core's {@code org.fedledger.core.privacy.RdpAccountant}.
 */
package org.fedledger.learning.privacy;
