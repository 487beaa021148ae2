/**
 * Serving registered models per call: a provider node loads a model's weights from the blob servers
 * (verified by hash) into DJL ({@link org.fedledger.node.serve.ModelLoader}), batches predictions
 * on one inference thread ({@link org.fedledger.node.serve.PredictionBatcher}), takes payment by
 * signed channel vouchers ({@link org.fedledger.node.serve.PaymentGate}, persisted by {@link
 * org.fedledger.node.serve.VoucherStore} before answering), signs a receipt for each call ({@link
 * org.fedledger.node.serve.Receipts}), and claims its channels on chain ({@link
 * org.fedledger.node.serve.ClaimAgent}). {@link org.fedledger.node.serve.Serving} wires them.
 */
package org.fedledger.node.serve;
