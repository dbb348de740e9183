import type { TemplateDef } from '@signoff/contracts';

export const EXPENSE_TEMPLATE: TemplateDef = {
  key: 'expense',
  name: { en: 'Expense claim', zh: '费用报销' },
  description: { en: 'Reimburse money you spent for work.', zh: '报销因公支出的费用。' },
  fields: [
    { key: 'amount', label: { en: 'Amount (CNY)', zh: '金额（元）' }, type: 'number', required: true, min: 0.01, max: 1_000_000 },
    { key: 'spentOn', label: { en: 'Date spent', zh: '消费日期' }, type: 'date', required: true },
    {
      key: 'category',
      label: { en: 'Category', zh: '类别' },
      type: 'choice',
      required: true,
      options: [
        { value: 'travel', label: { en: 'Travel', zh: '差旅' } },
        { value: 'meals', label: { en: 'Meals', zh: '餐饮' } },
        { value: 'equipment', label: { en: 'Equipment', zh: '设备' } },
        { value: 'other', label: { en: 'Other', zh: '其他' } },
      ],
    },
    { key: 'reason', label: { en: 'Reason', zh: '事由' }, type: 'text', required: false, maxLength: 1000 },
  ],
  stages: [
    { key: 'manager', name: { en: 'Manager approval', zh: '主管审批' }, mode: 'single', approver: { kind: 'manager' } },
    {
      key: 'finance',
      name: { en: 'Finance review', zh: '财务审核' },
      mode: 'single',
      approver: { kind: 'user', email: 'finance@signoff.local' },
    },
  ],
};

export const RELEASE_TEMPLATE: TemplateDef = {
  key: 'release',
  name: { en: 'Code release', zh: '代码发布' },
  description: { en: 'Ship a build to production.', zh: '将构建发布到生产环境。' },
  fields: [
    { key: 'service', label: { en: 'Service', zh: '服务' }, type: 'text', required: true, maxLength: 100 },
    { key: 'version', label: { en: 'Version', zh: '版本' }, type: 'text', required: true, maxLength: 50 },
    { key: 'releaseDate', label: { en: 'Release date', zh: '发布日期' }, type: 'date', required: true },
    {
      key: 'risk',
      label: { en: 'Risk', zh: '风险' },
      type: 'choice',
      required: true,
      options: [
        { value: 'low', label: { en: 'Low', zh: '低' } },
        { value: 'medium', label: { en: 'Medium', zh: '中' } },
        { value: 'high', label: { en: 'High', zh: '高' } },
      ],
    },
  ],
  stages: [
    { key: 'code-review', name: { en: 'Code review', zh: '代码评审' }, mode: 'single', approver: { kind: 'role', role: 'approver' } },
    { key: 'qa', name: { en: 'QA sign-off', zh: '测试验收' }, mode: 'single', approver: { kind: 'user', email: 'qa@signoff.local' } },
    { key: 'ops', name: { en: 'Ops deploy', zh: '运维上线' }, mode: 'single', approver: { kind: 'user', email: 'ops@signoff.local' } },
  ],
};

/** Branches on the form: IT purchases need the IT lead, large ones the budget committee (会签). */
export const PURCHASE_TEMPLATE: TemplateDef = {
  key: 'purchase',
  name: { en: 'Purchase request', zh: '采购申请' },
  description: { en: 'Buy equipment, software or services.', zh: '采购设备、软件或服务。' },
  fields: [
    { key: 'item', label: { en: 'Item', zh: '物品' }, type: 'text', required: true, maxLength: 200 },
    { key: 'amount', label: { en: 'Amount (CNY)', zh: '金额（元）' }, type: 'number', required: true, min: 1, max: 10_000_000 },
    {
      key: 'department',
      label: { en: 'Department', zh: '部门' },
      type: 'choice',
      required: true,
      options: [
        { value: 'IT', label: { en: 'IT', zh: '信息技术' } },
        { value: 'sales', label: { en: 'Sales', zh: '销售' } },
        { value: 'ops', label: { en: 'Operations', zh: '运营' } },
      ],
    },
    { key: 'vendor', label: { en: 'Vendor', zh: '供应商' }, type: 'text', required: false, maxLength: 200 },
  ],
  stages: [
    { key: 'manager', name: { en: 'Manager approval', zh: '主管审批' }, mode: 'single', approver: { kind: 'manager' }, deadlineHours: 48 },
    {
      key: 'it-lead',
      name: { en: 'IT lead review', zh: 'IT 负责人审核' },
      mode: 'single',
      approver: { kind: 'user', email: 'itlead@signoff.local' },
      condition: 'department == "IT"',
    },
    {
      key: 'budget-committee',
      name: { en: 'Budget committee (countersign)', zh: '预算委员会会签' },
      mode: 'all',
      approver: { kind: 'users', emails: ['finance@signoff.local', 'director@signoff.local', 'ops@signoff.local'] },
      condition: 'amount > 5000',
    },
    {
      key: 'payment',
      name: { en: 'Payment (any of finance)', zh: '付款（财务或签）' },
      mode: 'any',
      approver: { kind: 'users', emails: ['finance@signoff.local', 'director@signoff.local'] },
    },
  ],
  cc: { atFinish: ['admin@signoff.local'] },
};

/** 会签: three people must all agree, then the director signs. */
export const CONTRACT_TEMPLATE: TemplateDef = {
  key: 'contract',
  name: { en: 'Contract sign-off', zh: '合同会签' },
  description: { en: 'Finance, QA and Ops all sign, then the director.', zh: '财务、测试、运维全部同意后由总监签署。' },
  fields: [
    { key: 'counterparty', label: { en: 'Counterparty', zh: '合同方' }, type: 'text', required: true, maxLength: 200 },
    { key: 'value', label: { en: 'Contract value (CNY)', zh: '合同金额（元）' }, type: 'number', required: true, min: 0 },
  ],
  stages: [
    {
      key: 'countersign',
      name: { en: 'Countersign', zh: '会签' },
      mode: 'all',
      approver: { kind: 'users', emails: ['finance@signoff.local', 'qa@signoff.local', 'ops@signoff.local'] },
    },
    {
      key: 'director',
      name: { en: 'Director signs', zh: '总监签署' },
      mode: 'single',
      approver: { kind: 'user', email: 'director@signoff.local' },
    },
  ],
};

export const DEMO_TEMPLATES = [EXPENSE_TEMPLATE, RELEASE_TEMPLATE, PURCHASE_TEMPLATE, CONTRACT_TEMPLATE];
